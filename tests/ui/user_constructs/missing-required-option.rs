use stack_core::prelude::*;
use static_website::StaticWebsite;

stack! {
    pub stack Demo {
        resource site: StaticWebsite {
            domain_name: "www.example.com",
        }
    }
}

fn main() {}
