use stack_core::prelude::*;

stack! {
    pub stack Demo {
        resource handler: AWS::Lambda::Function {
            Role: "arn:aws:iam::123456789012:role/handler",
            Code: { ZipFile: "exports.handler = async () => {};" },
            Runtime: "nodejs24.x",
            Handler: "index.handler",
            EphemeralStorage: { Size: 100 },
        }
    }
}

fn main() {}
