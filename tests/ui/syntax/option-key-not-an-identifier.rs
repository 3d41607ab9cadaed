use stack_core::prelude::*;

// A key that cannot name a setter is an error on the key, wherever it is.
stack! {
    pub stack Demo {
        resource photos: Bucket {
            cors: [CorsRule { "a-b": 1, allowed_methods: [HttpMethod::Get], allowed_origins: ["*"] }],
        }
        resource site: static_website::StaticWebsite {
            domain_name: "www.example.com",
            hosted_zone_id: "Z0123456789EXAMPLE",
            price_class: PriceClass { "self": 1 },
        }
    }
}

fn main() {}
