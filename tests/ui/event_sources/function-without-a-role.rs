use stack_core::prelude::*;

stack! {
    pub stack Demo {
        resource jobs: Queue;
        resource role: AWS::IAM::Role {
            AssumeRolePolicyDocument: {
                Version: "2012-10-17",
                Statement: [{
                    Effect: "Allow",
                    Principal: { Service: "lambda.amazonaws.com" },
                    Action: "sts:AssumeRole",
                }],
            },
        }
        resource worker: AWS::Lambda::Function {
            Code: { ZipFile: "def handler(event, context): pass" },
            Handler: "index.handler",
            Runtime: "python3.12",
            Role: role.Arn,
        }
        resource jobs_to_worker: SqsEventSource { function: worker, queue: jobs }
    }
}

fn main() {}
