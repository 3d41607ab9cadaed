use stack_core::prelude::*;
use static_website::StaticWebsite;

stack! {
    pub stack Demo {
        resource site: StaticWebsite {
            domain_name: "www.example.com",
            hosted_zone_id: "Z0123456789EXAMPLE",
        }
        output url = site.ur;
    }
}

fn main() {}
