//! The registry constraints `stack!` enforces on literals agree with cfn-lint: every
//! vendored pattern the macro enforces reads the same in cfn-lint's regex engine (Python's
//! `regex`, run here over sample values), and the literals the compile-fail cases use are
//! errors for cfn-lint too, while the values at the limits pass both.

use std::io::Write as _;
use std::process::{Command, Stdio};

use serde_json::{json, Value};
use stack_spec::cfn_index::enforced_pattern;

/// The Python interpreter next to cfn-lint (it has cfn-lint's `regex` module).
fn python() -> std::path::PathBuf {
    let cfn_lint = tests::cfn_lint().unwrap_or_else(|e| panic!("{e}"));
    cfn_lint.with_file_name("python")
}

/// Every `pattern` in the schema index.
fn index_patterns() -> Vec<&'static str> {
    fn walk(v: &Value, out: &mut Vec<String>) {
        match v {
            Value::Object(m) => {
                for (k, v) in m {
                    match (k.as_str(), v) {
                        ("pattern", Value::String(p)) => out.push(p.clone()),
                        _ => walk(v, out),
                    }
                }
            }
            Value::Array(a) => a.iter().for_each(|v| walk(v, out)),
            _ => {}
        }
    }
    let path = tests::workspace_root().join("stack-spec/data/cfn-index.json");
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{e}"));
    let index: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}"));
    let mut out = Vec::new();
    walk(&index, &mut out);
    out.sort();
    out.dedup();
    out.into_iter()
        .map(|p| &*Box::leak(p.into_boxed_str()))
        .collect()
}

/// Values of the shapes CloudFormation properties take (all printable ASCII: the macro
/// checks patterns on those only).
fn samples() -> Vec<String> {
    let mut s: Vec<String> = [
        "",
        "a",
        "abc",
        "ABC",
        "Abc-123",
        "my-queue",
        "my_queue.fifo",
        "orders queue",
        "index.handler",
        "1",
        "123",
        "-1",
        "0.5",
        "true",
        "Zip",
        "nodejs24.x",
        "python3.12",
        "arn:aws:iam::123456789012:role/my-role",
        "arn:aws:s3:::my-bucket",
        "arn:aws:lambda:us-east-1:123456789012:function:my-fn",
        "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
        "arn:aws:sns:us-east-1:123456789012:topic",
        "alias/aws/sqs",
        "/aws/lambda/fn",
        "us-east-1",
        "sg-0123456789abcdef0",
        "vpc-12345678",
        "subnet-12345678",
        "i-0123456789abcdef0",
        "ami-12345678",
        "user@example.com",
        "https://example.com/path?q=1",
        "s3://bucket/key",
        "10.0.0.0/16",
        "192.168.1.1",
        "2024-01-01T00:00:00Z",
        "a b",
        "{}",
        "[]",
        "${AWS::Region}",
        "a/b/c",
        "a:b",
        "*",
        "?",
        "#tag",
        "%",
        "\\",
        "'q'",
        "\"q\"",
        "rate(5 minutes)",
        "cron(0 12 * * ? *)",
        "PT5M",
        "t3.micro",
        "db.t3.micro",
        "ENABLED",
        "$LATEST",
        "v1",
        "ab--cd",
        "-lead",
        "trail-",
        "a..b",
        "UPPER_CASE",
        "camelCase",
        "My-bucket",
        "my-bucket",
        "x=1,y=2",
        "a+b",
        "~",
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect();
    s.push("x".repeat(300));
    s.push("7".repeat(12));
    s
}

#[test]
fn enforced_patterns_read_the_same_in_cfn_lints_regex_engine() {
    let patterns = index_patterns();
    let enforced: Vec<_> = patterns
        .iter()
        .filter_map(|p| Some((*p, enforced_pattern(p)?)))
        .collect();
    let samples = samples();
    let script = r#"
import json, sys, regex
job = json.load(sys.stdin)
out = []
for p in job["patterns"]:
    try:
        c = regex.compile(p)
    except Exception as e:
        out.append(str(e))
        continue
    out.append([bool(c.search(s)) for s in job["samples"]])
json.dump(out, sys.stdout)
"#;
    let mut child = Command::new(python())
        .args(["-c", script])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run python: {e}"));
    let job = json!({
        "patterns": enforced.iter().map(|(p, _)| p).collect::<Vec<_>>(),
        "samples": samples,
    });
    child
        .stdin
        .take()
        .map(|mut stdin| stdin.write_all(job.to_string().as_bytes()))
        .transpose()
        .unwrap_or_else(|e| panic!("{e}"));
    let output = child.wait_with_output().unwrap_or_else(|e| panic!("{e}"));
    assert!(output.status.success(), "python failed");
    let python: Vec<Value> =
        serde_json::from_slice(&output.stdout).unwrap_or_else(|e| panic!("{e}"));
    let mut differences = Vec::new();
    for ((pattern, regex), theirs) in enforced.iter().zip(&python) {
        let Some(theirs) = theirs.as_array() else {
            differences.push(format!("{pattern}: Python cannot compile it: {theirs}"));
            continue;
        };
        for (sample, theirs) in samples.iter().zip(theirs) {
            let ours = regex.is_match(sample);
            if Some(ours) != theirs.as_bool() {
                differences.push(format!(
                    "{pattern} on {sample:?}: ours {ours}, cfn-lint {theirs}"
                ));
            }
        }
    }
    assert!(differences.is_empty(), "{}", differences.join("\n"));
    // Most patterns are plain enough to enforce (2071 of 2258 with cfn-lint 1.58.0).
    assert!(
        enforced.len() * 100 > patterns.len() * 85,
        "{} of {}",
        enforced.len(),
        patterns.len()
    );
}

/// Runs cfn-lint on a template with `resources` and returns its report's lines.
fn lint(resources: Value) -> Vec<String> {
    let cfn_lint = tests::cfn_lint().unwrap_or_else(|e| panic!("{e}"));
    let dir = std::env::temp_dir().join(format!("stack-constraints-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    let path = dir.join("template.json");
    let template = json!({ "AWSTemplateFormatVersion": "2010-09-09", "Resources": resources });
    std::fs::write(&path, template.to_string()).unwrap_or_else(|e| panic!("{e}"));
    let output = Command::new(&cfn_lint)
        .args(["--format", "parseable", "--"])
        .arg(&path)
        .output()
        .unwrap_or_else(|e| panic!("cannot run `{}`: {e}", cfn_lint.display()));
    // The template is only for cfn-lint; the report is returned.
    let _ = std::fs::remove_file(&path);
    let _ = std::fs::remove_dir(&dir);
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(str::to_owned)
        .collect()
}

/// The resources of the `tests/ui/values/l1-*.rs` cases, with `bad` values or with
/// values at the schema's limits.
fn ui_case_resources(bad: bool) -> Value {
    let pick = |bad_value: Value, good: Value| if bad { bad_value } else { good };
    let role = "arn:aws:iam::123456789012:role/handler";
    let code = json!({ "ZipFile": "exports.handler = async () => {};" });
    json!({
        "Queue": { "Type": "AWS::SQS::Queue", "Properties": {
            "VisibilityTimeout": pick(json!(99999), json!(43200)), "DelaySeconds": 900 } },
        "Bucket": { "Type": "AWS::S3::Bucket", "Properties": { "BucketName": pick(
            json!("photos-of-every-product-in-every-size-for-every-region-of-the-shop"),
            json!("a".repeat(63))) } },
        "Logs": { "Type": "AWS::Logs::LogGroup", "Properties": { "LogGroupName": pick(
            json!("/aws/lambda/order handler"), json!("/aws/lambda/order-handler")) } },
        "Nested": { "Type": "AWS::Lambda::Function", "Properties": {
            "Role": role, "Code": code, "Runtime": "nodejs24.x", "Handler": "index.handler",
            "EphemeralStorage": { "Size": pick(json!(100), json!(512)) } } },
        "Items": { "Type": "AWS::Lambda::Function", "Properties": {
            "Role": role, "Code": code, "Runtime": "nodejs24.x", "Handler": "index.handler",
            "Architectures": pick(json!(["x86_64", "arm64"]), json!(["arm64"])) } },
    })
}

#[test]
fn cfn_lint_rejects_the_literals_the_compile_fail_cases_reject() {
    let report = lint(ui_case_resources(true));
    for (rule, message) in [
        ("E3034", "99999 is greater than the maximum of 43200"),
        ("E3033", "is longer than 63"),
        ("E3031", "'/aws/lambda/order handler' does not match"),
        ("E3034", "100 is less than the minimum of 512"),
        ("E3032", "expected maximum item count: 1, found: 2"),
    ] {
        assert!(
            report
                .iter()
                .any(|l| l.contains(&format!(":{rule}:")) && l.contains(message)),
            "cfn-lint does not report {rule} `{message}`:\n{}",
            report.join("\n")
        );
    }
}

#[test]
fn values_at_the_limits_pass_cfn_lint() {
    let report = lint(ui_case_resources(false));
    assert!(report.is_empty(), "{}", report.join("\n"));
}
