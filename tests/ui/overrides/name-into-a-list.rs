use stack_core::prelude::*;

stack! {
    pub stack Demo {
        resource photos: Bucket {}
        override photos.CorsConfiguration.CorsRules.first.MaxAge = 60;
    }
}

fn main() {}
