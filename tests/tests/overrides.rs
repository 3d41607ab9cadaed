//! Escape hatches: `override` and `remove` on L1 resources, on a construct's primary
//! resource, on the resources it adds (by name) and on another crate's construct, as
//! they appear in the template; bad paths that only the built stack can see.

use serde_json::{json, Value as Json};
use stack_core::prelude::*;
use static_website::StaticWebsite;

stack! {
    /// Every kind of override.
    pub stack Overridden {
        resource photos: Bucket { versioned: true }
        resource worker: Function {
            code: Code::inline("def handler(event, context): pass"),
            runtime: Runtime::Python312,
            handler: "index.handler",
        }
        resource jobs: AWS::SQS::Queue { VisibilityTimeout: 30 }
        resource site: StaticWebsite {
            domain_name: "www.example.com",
            hosted_zone_id: "Z0123456789EXAMPLE",
        }

        override photos.VersioningConfiguration.Status = "Suspended";
        override photos.ObjectLockEnabled = true;
        remove photos.OwnershipControls;
        override photos.policy.PolicyDocument.Statement.0.Sid = "TlsOnly";
        override worker.role.Path = "/app/";
        override worker.log_group.RetentionInDays = 7;
        override worker.Environment = { Variables: { QUEUE_URL: jobs.queue_url } };
        override jobs.VisibilityTimeout = 60;
        override site.bucket.Tags = [{ Key: "site", Value: "www" }];
    }
}

fn template() -> Json {
    Overridden::new("Overridden")
        .synthesized()
        .unwrap_or_else(|e| panic!("{e}"))
        .template
        .to_json()
}

#[test]
fn overrides_reach_every_resource_a_block_makes() {
    let t = template();
    let r = &t["Resources"];
    let photos = &r["Photos"]["Properties"];
    assert_eq!(
        photos["VersioningConfiguration"],
        json!({"Status": "Suspended"})
    );
    assert_eq!(photos["ObjectLockEnabled"], json!(true));
    assert!(photos.get("OwnershipControls").is_none(), "{photos:#}");
    assert_eq!(
        r["PhotosPolicy"]["Properties"]["PolicyDocument"]["Statement"][0]["Sid"],
        json!("TlsOnly")
    );
    assert_eq!(r["WorkerServiceRole"]["Properties"]["Path"], json!("/app/"));
    assert_eq!(
        r["WorkerLogGroup"]["Properties"]["RetentionInDays"],
        json!(7)
    );
    assert_eq!(
        r["Worker"]["Properties"]["Environment"],
        json!({"Variables": {"QUEUE_URL": {"Fn::GetAtt": ["Jobs", "QueueUrl"]}}})
    );
    assert_eq!(r["Jobs"]["Properties"]["VisibilityTimeout"], json!(60));
    assert_eq!(
        r["SiteBucket"]["Properties"]["Tags"],
        json!([{"Key": "site", "Value": "www"}])
    );
}

#[test]
fn overridden_template_is_lint_clean() {
    tests::assert_lint_clean(&Overridden::new("Overridden"));
}

stack! {
    /// An override of a resource another crate's construct does not add.
    pub stack MissingChild {
        resource site: StaticWebsite {
            domain_name: "www.example.com",
            hosted_zone_id: "Z0123456789EXAMPLE",
        }
        override site.bukket.Tags = [];
    }
}

#[test]
fn an_override_of_a_resource_the_stack_lacks_is_reported_at_synth() {
    let error = match MissingChild::new("MissingChild").synthesized() {
        Ok(_) => panic!("the override of a missing resource was accepted"),
        Err(e) => e.to_string(),
    };
    assert!(
        error.contains("override of `SiteBukket.Tags`: the stack has no resource `SiteBukket`"),
        "{error}"
    );
}
