use stack_core::prelude::*;

stack! {
    pub stack Demo {
        resource photos: Bucket {}
        override photos.VersioningConfiguration.Statuss = "Suspended";
    }
}

fn main() {}
