//! Grants that would close a dependency cycle, a function allowed to invoke itself or a
//! role allowed to pass itself, go into a separate policy attached to the role; the
//! template has no cycle, which cfn-lint checks (E3004).

use serde_json::{json, Value as Json};
use stack_core::prelude::*;

stack! {
    /// A worker that fans work out to itself, and a role that hands itself on.
    pub stack Recursive {
        resource jobs: Queue;
        resource worker: Function {
            code: Code::inline("def handler(event, context):\n    return None\n"),
            runtime: Runtime::Python312,
            handler: "index.handler",
        }
        resource pipeline_role: Role {
            assumed_by: Principals::default().services(["codebuild.amazonaws.com"]),
        }
        grant worker invoke worker;
        grant worker send jobs;
        grant pipeline_role pass pipeline_role;
    }
}

fn resources() -> Json {
    let stack = Recursive::new("Recursive");
    let synthesized = stack.synthesized().unwrap_or_else(|e| panic!("{e}"));
    synthesized.template.to_json()["Resources"].clone()
}

#[test]
fn a_function_invoking_itself_gets_its_grant_in_a_separate_policy() {
    let r = resources();
    let inline = r["WorkerServiceRole"]["Properties"]["Policies"][0]["PolicyDocument"]["Statement"]
        .to_string();
    assert!(inline.contains("sqs:SendMessage"), "{inline}");
    assert!(!inline.contains("lambda:InvokeFunction"), "{inline}");
    let separate = &r["WorkerServiceRoleDefaultPolicy"];
    assert_eq!(separate["Type"], "AWS::IAM::Policy");
    assert_eq!(
        separate["Properties"]["Roles"],
        json!([{"Ref": "WorkerServiceRole"}])
    );
    assert_eq!(
        separate["Properties"]["PolicyDocument"]["Statement"][0]["Action"],
        "lambda:InvokeFunction"
    );
}

#[test]
fn a_role_passing_itself_gets_its_grant_in_a_separate_policy() {
    let r = resources();
    assert!(r["PipelineRole"]["Properties"]["Policies"].is_null());
    assert_eq!(
        r["PipelineRoleDefaultPolicy"]["Properties"]["PolicyDocument"]["Statement"][0]["Action"],
        "iam:PassRole"
    );
}

#[test]
fn recursive_grants_are_lint_clean() {
    tests::assert_lint_clean(&Recursive::new("Recursive"));
}
