use stack_core::prelude::*;

/// A plain struct that does not implement `Construct`.
pub struct Website;

stack! {
    pub stack Demo {
        resource site: Website {}
    }
}

fn main() {}
