use stack_core::prelude::*;

stack! {
    pub stack Demo {
        resource photos: Bucket {}
        #[export = "photos"]
        output photos_name = photos.name;
        #[export = "photos"]
        output photos_arn = photos.arn;
    }
}

fn main() {}
