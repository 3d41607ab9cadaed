use stack_core::prelude::*;

stack! {
    pub stack Demo {
        resource bucket: AWS::S3::Bucket {
            BucketName: "photos-of-every-product-in-every-size-for-every-region-of-the-shop",
        }
    }
}

fn main() {}
