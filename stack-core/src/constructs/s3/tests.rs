// Buckets: secure defaults, grants, auto-delete wiring and option checks.
use super::auto_delete::{AUTO_DELETE_HANDLER, AUTO_DELETE_ROLE, AUTO_DELETE_TAG};
use super::*;
use crate::constructs::{Construct, HttpMethod};
use crate::constructs::{DockerImageCode, DockerImageFunction, DockerImageFunctionProps};
use crate::expr::Expr;
use crate::resource::RemovalPolicy;
use crate::stack::StackBuilder;
use serde_json::{json, Value as Json};

fn build(buckets: &[(&str, BucketProps)]) -> Result<Json, Vec<String>> {
    let mut stack = StackBuilder::new("Test");
    for (id, props) in buckets {
        Bucket::declare(id).build(props.clone(), &mut stack);
    }
    stack
        .finish()
        .map(|s| s.template.to_json()["Resources"].clone())
        .map_err(|e| e.problems)
}

fn ok(buckets: &[(&str, BucketProps)]) -> Json {
    build(buckets).unwrap_or_else(|problems| panic!("{problems:#?}"))
}

#[test]
fn bucket_is_private_encrypted_retained_and_tls_only() {
    let r = ok(&[("Photos", BucketProps::default())]);
    let bucket = &r["Photos"];
    assert_eq!(bucket["DeletionPolicy"], "Retain");
    assert_eq!(bucket["UpdateReplacePolicy"], "Retain");
    let p = &bucket["Properties"];
    assert_eq!(
        p["PublicAccessBlockConfiguration"],
        json!({"BlockPublicAcls": true, "BlockPublicPolicy": true, "IgnorePublicAcls": true, "RestrictPublicBuckets": true})
    );
    assert_eq!(
        p["BucketEncryption"]["ServerSideEncryptionConfiguration"][0]
            ["ServerSideEncryptionByDefault"]["SSEAlgorithm"],
        "AES256"
    );
    assert_eq!(
        p["OwnershipControls"]["Rules"][0]["ObjectOwnership"],
        "BucketOwnerEnforced"
    );
    assert!(p.get("Tags").is_none());
    let policy = &r["PhotosPolicy"]["Properties"];
    assert_eq!(policy["Bucket"], json!({"Ref": "Photos"}));
    assert_eq!(
        policy["PolicyDocument"]["Statement"],
        json!([{
            "Effect": "Deny",
            "Principal": "*",
            "Action": "s3:*",
            "Resource": [{"Fn::GetAtt": ["Photos", "Arn"]}, {"Fn::Sub": "${Photos.Arn}/*"}],
            "Condition": {"Bool": {"aws:SecureTransport": "false"}}
        }])
    );
    assert!(r.get(AUTO_DELETE_HANDLER).is_none());
}

#[test]
fn cors_and_versioning_are_rendered() {
    let props = BucketProps::default()
        .bucket_name("photosky")
        .versioned(true)
        .cors([CorsRule::default()
            .allowed_methods([HttpMethod::Get, HttpMethod::Put])
            .allowed_origins(["*"])
            .allowed_headers(["*"])
            .exposed_headers(["ETag"])
            .max_age(3000)]);
    let r = ok(&[("Photos", props)]);
    let p = &r["Photos"]["Properties"];
    assert_eq!(p["BucketName"], "photosky");
    assert_eq!(p["VersioningConfiguration"], json!({"Status": "Enabled"}));
    assert_eq!(
        p["CorsConfiguration"],
        json!({"CorsRules": [{
            "AllowedHeaders": ["*"],
            "AllowedMethods": ["GET", "PUT"],
            "AllowedOrigins": ["*"],
            "ExposedHeaders": ["ETag"],
            "MaxAge": 3000
        }]})
    );
}

#[test]
fn read_write_grant_scopes_bucket_and_object_actions_separately() {
    let bucket = Bucket::declare("Photos");
    let func = DockerImageFunction::declare("Api");
    let mut stack = StackBuilder::new("Test");
    bucket.build(BucketProps::default(), &mut stack);
    func.build(
        DockerImageFunctionProps::default().code(DockerImageCode::from_uri(
            "123456789012.dkr.ecr.us-east-1.amazonaws.com/api:1",
        )),
        &mut stack,
    );
    stack.grant(&func, bucket.grant_read_write());
    let template = match stack.finish() {
        Ok(s) => s.template.to_json(),
        Err(e) => panic!("{e}"),
    };
    let statements = &template["Resources"]["ApiServiceRole"]["Properties"]["Policies"][0]
        ["PolicyDocument"]["Statement"];
    assert_eq!(
        statements,
        &json!([
            {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": {"Fn::GetAtt": ["Photos", "Arn"]}},
            {"Effect": "Allow", "Action": ["s3:AbortMultipartUpload", "s3:DeleteObject", "s3:GetObject", "s3:PutObject"], "Resource": {"Fn::Sub": "${Photos.Arn}/*"}}
        ])
    );
}

#[test]
fn every_grant_lists_explicit_known_actions() {
    let bucket = Bucket::declare("Photos");
    let grants = [
        bucket.grant_read(),
        bucket.grant_write(),
        bucket.grant_read_write(),
        bucket.grant_put(),
        bucket.grant_delete(),
    ];
    assert_eq!(
        grants.len(),
        crate::constructs::catalog_grants("Bucket").len()
    );
    let known = include_str!("../../../../stack-spec/data/iam-actions.txt");
    for statement in grants.iter().flat_map(|g| &g.statements) {
        for action in &statement.actions {
            assert!(!action.contains('*'), "wildcard action {action}");
            assert!(
                known.lines().any(|l| l == action),
                "{action} is not an IAM action"
            );
        }
    }
}

#[test]
fn auto_delete_shares_one_handler_and_scopes_its_role() {
    let destroy = || {
        BucketProps::default()
            .removal_policy(RemovalPolicy::Destroy)
            .auto_delete_objects(true)
    };
    let r = ok(&[("A", destroy()), ("B", destroy())]);
    for id in ["A", "B"] {
        let custom = &r[format!("{id}AutoDeleteObjects")];
        assert_eq!(custom["Type"], "Custom::S3AutoDeleteObjects");
        assert_eq!(
            custom["Properties"],
            json!({"ServiceToken": {"Fn::GetAtt": [AUTO_DELETE_HANDLER, "Arn"]}, "BucketName": {"Ref": id}})
        );
        assert_eq!(
            r[id]["Properties"]["Tags"],
            json!([{"Key": AUTO_DELETE_TAG, "Value": "true"}])
        );
        assert_eq!(r[id]["DeletionPolicy"], "Delete");
    }
    let handlers = r.as_object().map(|m| {
        m.values()
            .filter(|v| v["Type"] == "AWS::Lambda::Function")
            .count()
    });
    assert_eq!(handlers, Some(1));
    let handler = &r[AUTO_DELETE_HANDLER]["Properties"];
    assert_eq!(handler["Runtime"], "python3.12");
    assert_eq!(handler["Handler"], "index.handler");
    let source = handler["Code"]["ZipFile"].as_str().unwrap_or_default();
    assert!(source.contains(AUTO_DELETE_TAG));
    assert!(source.len() <= 4096, "{} characters", source.len());
    let statements =
        &r[AUTO_DELETE_ROLE]["Properties"]["Policies"][0]["PolicyDocument"]["Statement"];
    assert_eq!(
        statements,
        &json!([
            {"Effect": "Allow", "Action": ["s3:GetBucketTagging", "s3:ListBucketVersions"], "Resource": {"Fn::GetAtt": ["A", "Arn"]}},
            {"Effect": "Allow", "Action": ["s3:DeleteObject", "s3:DeleteObjectVersion"], "Resource": {"Fn::Sub": "${A.Arn}/*"}},
            {"Effect": "Allow", "Action": ["s3:GetBucketTagging", "s3:ListBucketVersions"], "Resource": {"Fn::GetAtt": ["B", "Arn"]}},
            {"Effect": "Allow", "Action": ["s3:DeleteObject", "s3:DeleteObjectVersion"], "Resource": {"Fn::Sub": "${B.Arn}/*"}}
        ])
    );
}

#[test]
fn auto_delete_without_destroy_is_reported() {
    let problems = build(&[("Photos", BucketProps::default().auto_delete_objects(true))])
        .err()
        .unwrap_or_default();
    assert_eq!(problems.len(), 1, "{problems:#?}");
    assert!(
        problems[0].contains("RemovalPolicy::Destroy"),
        "{problems:#?}"
    );
}

#[test]
fn invalid_names_and_cors_rules_are_reported() {
    let problems = build(&[(
        "Photos",
        BucketProps::default()
            .bucket_name("Photo_Sky")
            .cors([CorsRule::default().allowed_methods([HttpMethod::Patch])]),
    )])
    .err()
    .unwrap_or_default();
    assert_eq!(problems.len(), 3, "{problems:#?}");
}

#[test]
fn attributes_are_typed_references() {
    let bucket = Bucket::declare("Photos");
    assert_eq!(
        bucket.arn().expr(),
        &Expr::GetAtt("Photos".into(), "Arn".into())
    );
    assert_eq!(bucket.name().expr(), &Expr::Ref("Photos".into()));
    assert_eq!(
        bucket.regional_domain_name().expr(),
        &Expr::GetAtt("Photos".into(), "RegionalDomainName".into())
    );
}
