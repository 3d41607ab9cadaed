use stack_core::prelude::*;

stack! {
    pub stack Demo {
        resource photos: Bucket {}
        resource worker: AWS::Lambda::Function {
            Code: { ZipFile: "def handler(event, context): pass" },
            Role: photos.arn,
            Runtime: "python3.12",
            Handler: "index.handler",
        }
    }
}

fn main() {}
