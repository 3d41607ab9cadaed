use stack_core::prelude::*;

stack! {
    pub stack Demo {
        resource handler: AWS::Lambda::Function {
            Role: "arn:aws:iam::123456789012:role/handler",
            Code: { ZipFile: "exports.handler = async () => {};" },
            Runtime: "nodejs24.x",
            Handler: "index.handler",
            Architectures: ["x86_64", "arm64"],
        }
    }
}

fn main() {}
