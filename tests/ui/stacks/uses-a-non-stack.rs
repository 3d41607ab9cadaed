use stack_core::prelude::*;

pub struct Settings;

stack! {
    pub stack Workers uses settings: Settings {
        resource files: Bucket {}
    }
}

fn main() {}
