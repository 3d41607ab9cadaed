//! The website app: a construct from another crate (`static-website`) used in a
//! `stack!` block: its golden template, its wiring (the grant it offers, its attributes
//! as outputs) and cfn-lint.

use serde_json::{json, Value as Json};
use stack_core::Stack;
use website::{Website, WebsiteProps};

fn stack() -> Website {
    Website::new(
        "Website",
        &WebsiteProps {
            domain_name: "www.example.com".into(),
            hosted_zone_id: "Z0123456789EXAMPLE".into(),
        },
    )
}

fn template() -> Json {
    stack()
        .synthesized()
        .unwrap_or_else(|e| panic!("{e}"))
        .template
        .to_json()
}

#[test]
fn website_template() {
    let text = stack()
        .synthesized()
        .unwrap_or_else(|e| panic!("{e}"))
        .template
        .to_json_string();
    insta::assert_snapshot!("website", text);
}

#[test]
fn the_construct_adds_its_resources_under_the_declared_name() {
    let t = template();
    let mut ids: Vec<(&str, &str)> = t["Resources"]
        .as_object()
        .map(|m| {
            m.iter()
                .map(|(id, r)| (id.as_str(), r["Type"].as_str().unwrap_or_default()))
                .collect()
        })
        .unwrap_or_default();
    ids.sort_unstable();
    assert_eq!(
        ids,
        [
            ("Publisher", "AWS::IAM::Role"),
            ("Site", "AWS::CloudFront::Distribution"),
            ("SiteBucket", "AWS::S3::Bucket"),
            ("SiteBucketPolicy", "AWS::S3::BucketPolicy"),
            ("SiteCertificate", "AWS::CertificateManager::Certificate"),
            (
                "SiteOriginAccessControl",
                "AWS::CloudFront::OriginAccessControl"
            ),
            ("SiteRecord", "AWS::Route53::RecordSet"),
        ]
    );
}

#[test]
fn the_deploy_grant_reaches_the_bucket_and_the_distribution() {
    let t = template();
    let statements =
        &t["Resources"]["Publisher"]["Properties"]["Policies"][0]["PolicyDocument"]["Statement"];
    let actions: Vec<&Json> = statements
        .as_array()
        .into_iter()
        .flatten()
        .map(|s| &s["Action"])
        .collect();
    assert!(
        actions.contains(&&json!("cloudfront:CreateInvalidation")),
        "{statements:#}"
    );
    assert!(
        statements.to_string().contains("SiteBucket"),
        "{statements:#}"
    );
}

#[test]
fn the_attributes_become_outputs() {
    let t = template();
    assert_eq!(
        t["Outputs"]["BucketName"]["Value"],
        json!({"Ref": "SiteBucket"})
    );
    assert_eq!(
        t["Outputs"]["DistributionId"]["Value"],
        json!({"Ref": "Site"})
    );
    assert_eq!(
        t["Outputs"]["Url"]["Value"],
        json!({"Fn::Sub": "https://${SiteRecord}"})
    );
}

#[test]
fn website_is_lint_clean() {
    tests::assert_lint_clean(&stack());
}
