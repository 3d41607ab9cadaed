use stack_core::prelude::*;

stack! {
    pub stack Certificates {
        env { region: "us-east-1" }
        resource files: Bucket {}
    }
}

stack! {
    pub stack Site uses certificates: Certificates {
        env { region: "eu-west-1" }
        resource logs: Bucket { bucket_name: certificates.files.name }
    }
}

fn main() {}
