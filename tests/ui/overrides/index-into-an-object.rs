use stack_core::prelude::*;

stack! {
    pub stack Demo {
        resource photos: Bucket {}
        override photos.VersioningConfiguration.0 = "Suspended";
    }
}

fn main() {}
