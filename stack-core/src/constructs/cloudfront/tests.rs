// Distributions: custom error responses, managed and own response headers policies, and
// the viewer TLS policy.
use super::*;
use crate::constructs::{Bucket, BucketProps, Construct, Duration};
use crate::stack::StackBuilder;
use serde_json::{json, Value as Json};

fn site(props: impl FnOnce(&Bucket) -> DistributionProps) -> Result<Json, Vec<String>> {
    let mut stack = StackBuilder::new("Site");
    let bucket = Bucket::declare("Site");
    bucket.build(BucketProps::default(), &mut stack);
    Distribution::declare("Cdn").build(props(&bucket), &mut stack);
    stack
        .finish()
        .map(|s| s.template.to_json()["Resources"].clone())
        .map_err(|e| e.problems)
}

fn ok(props: impl FnOnce(&Bucket) -> DistributionProps) -> Json {
    site(props).unwrap_or_else(|problems| panic!("{problems:#?}"))
}

#[test]
fn error_responses_serve_pages_instead_of_errors() {
    let r = ok(|bucket| {
        DistributionProps::default()
            .default_behavior(Behavior::default().origin(bucket))
            .error_responses([
                ErrorResponse::default()
                    .http_status(403)
                    .response_page_path("/error.html"),
                ErrorResponse::default()
                    .http_status(404)
                    .response_http_status(200)
                    .response_page_path("/index.html")
                    .ttl(Duration::minutes(5)),
                ErrorResponse::default()
                    .http_status(503)
                    .ttl(Duration::seconds(0)),
            ])
    });
    assert_eq!(
        r["Cdn"]["Properties"]["DistributionConfig"]["CustomErrorResponses"],
        json!([
            {"ErrorCode": 403, "ResponseCode": 403, "ResponsePagePath": "/error.html"},
            {"ErrorCode": 404, "ResponseCode": 200, "ResponsePagePath": "/index.html", "ErrorCachingMinTTL": 300.0},
            {"ErrorCode": 503, "ErrorCachingMinTTL": 0.0}
        ])
    );
}

#[test]
fn error_response_mistakes_are_reported() {
    let problems = site(|bucket| {
        DistributionProps::default()
            .default_behavior(Behavior::default().origin(bucket))
            .error_responses([
                ErrorResponse::default()
                    .http_status(200)
                    .response_page_path("error.html"),
                ErrorResponse::default()
                    .http_status(404)
                    .response_http_status(302)
                    .ttl(Duration::seconds(10)),
                ErrorResponse::default().http_status(404),
                ErrorResponse::default().response_page_path("/a.html"),
            ])
            .minimum_protocol_version(SecurityPolicyProtocol::TlsV1_2_2019)
    })
    .err()
    .unwrap_or_default();
    for needle in [
        "error response `200`: `http_status` is 200; CloudFront customizes only",
        "starts with `/`: `/error.html`",
        "`response_http_status` is 302",
        "`response_http_status` needs the page to send",
        "error response `404` is declared twice",
        "error response `404` changes nothing",
        "has no `http_status`",
        "`minimum_protocol_version` applies to `domain_names`",
    ] {
        assert!(
            problems.iter().any(|p| p.contains(needle)),
            "no problem mentions {needle}: {problems:#?}"
        );
    }
}

#[test]
fn managed_response_headers_policies_are_referred_to_by_id() {
    for (policy, id) in [
        (
            ResponseHeadersPolicy::SecurityHeaders,
            "67f7725c-6f97-4210-82d7-5512b31e9d03",
        ),
        (
            ResponseHeadersPolicy::SimpleCors,
            "60669652-455b-4ae9-85a4-c4c02393f86c",
        ),
        (
            ResponseHeadersPolicy::CorsWithPreflight,
            "5cc3b908-e619-4b99-88e5-2cf7f45965bd",
        ),
        (
            ResponseHeadersPolicy::CorsAndSecurityHeaders,
            "e61eb60c-9c35-4d20-a928-2b84e02af89c",
        ),
        (
            ResponseHeadersPolicy::CorsWithPreflightAndSecurityHeaders,
            "eaab4381-ed33-4a86-88ca-d9558dc6cd63",
        ),
    ] {
        let r = ok(|bucket| {
            DistributionProps::default().default_behavior(
                Behavior::default()
                    .origin(bucket)
                    .response_headers_policy(policy),
            )
        });
        let behavior = &r["Cdn"]["Properties"]["DistributionConfig"]["DefaultCacheBehavior"];
        assert_eq!(behavior["ResponseHeadersPolicyId"], id);
        assert!(r.get("CdnResponseHeadersPolicy").is_none());
    }
}

#[test]
fn own_security_headers_become_one_policy_per_setting() {
    let strict = || SecurityHeaders::default().frame_options(FrameOptions::SameOrigin);
    let r = ok(|bucket| {
        DistributionProps::default()
            .default_behavior(
                Behavior::default()
                    .origin(bucket)
                    .response_headers_policy(SecurityHeaders::default()),
            )
            .behaviors([
                Behavior::default()
                    .path_pattern("/a/*")
                    .origin(bucket)
                    .response_headers_policy(strict()),
                Behavior::default()
                    .path_pattern("/b/*")
                    .origin(bucket)
                    .response_headers_policy(
                        strict()
                            .hsts_max_age(Duration::days(365))
                            .hsts_preload(true)
                            .content_security_policy("default-src 'self'")
                            .referrer_policy(ReferrerPolicy::NoReferrer)
                            .xss_protection(false)
                            .content_type_options(false)
                            .hsts_include_subdomains(false)
                            .override_origin(false),
                    ),
                Behavior::default()
                    .path_pattern("/c/*")
                    .origin(bucket)
                    .response_headers_policy(strict()),
            ])
    });
    let config = &r["Cdn"]["Properties"]["DistributionConfig"];
    let ids: Vec<&Json> = std::iter::once(&config["DefaultCacheBehavior"])
        .chain(config["CacheBehaviors"].as_array().into_iter().flatten())
        .map(|b| &b["ResponseHeadersPolicyId"])
        .collect();
    assert_eq!(
        ids,
        [
            &json!({"Ref": "CdnResponseHeadersPolicy"}),
            &json!({"Ref": "CdnResponseHeadersPolicy2"}),
            &json!({"Ref": "CdnResponseHeadersPolicy3"}),
            &json!({"Ref": "CdnResponseHeadersPolicy2"})
        ]
    );
    let config = &r["CdnResponseHeadersPolicy"]["Properties"]["ResponseHeadersPolicyConfig"];
    assert_eq!(
        config["Name"],
        json!({"Fn::Sub": "Site-CdnResponseHeadersPolicy-${AWS::Region}"})
    );
    assert_eq!(
        config["SecurityHeadersConfig"],
        json!({
            "StrictTransportSecurity": {"AccessControlMaxAgeSec": 63_072_000, "IncludeSubdomains": true, "Preload": false, "Override": true},
            "ContentTypeOptions": {"Override": true},
            "FrameOptions": {"FrameOption": "DENY", "Override": true},
            "ReferrerPolicy": {"ReferrerPolicy": "strict-origin-when-cross-origin", "Override": true},
            "XSSProtection": {"Protection": true, "ModeBlock": true, "Override": true}
        })
    );
    let third = &r["CdnResponseHeadersPolicy3"]["Properties"]["ResponseHeadersPolicyConfig"]
        ["SecurityHeadersConfig"];
    assert_eq!(
        third,
        &json!({
            "StrictTransportSecurity": {"AccessControlMaxAgeSec": 31_536_000, "IncludeSubdomains": false, "Preload": true, "Override": false},
            "FrameOptions": {"FrameOption": "SAMEORIGIN", "Override": false},
            "ReferrerPolicy": {"ReferrerPolicy": "no-referrer", "Override": false},
            "ContentSecurityPolicy": {"ContentSecurityPolicy": "default-src 'self'", "Override": false}
        })
    );
}

#[test]
fn viewer_tls_defaults_to_the_2021_policy_and_can_be_chosen() {
    let with = |version: Option<SecurityPolicyProtocol>| {
        let r = ok(|bucket| {
            let props = DistributionProps::default()
                .default_behavior(Behavior::default().origin(bucket))
                .domain_names(["www.example.com"])
                .certificate_arn("arn:aws:acm:us-east-1:123456789012:certificate/abc");
            match version {
                Some(v) => props.minimum_protocol_version(v),
                None => props,
            }
        });
        r["Cdn"]["Properties"]["DistributionConfig"]["ViewerCertificate"]["MinimumProtocolVersion"]
            .clone()
    };
    assert_eq!(with(None), "TLSv1.2_2021");
    assert_eq!(
        with(Some(SecurityPolicyProtocol::TlsV1_2_2019)),
        "TLSv1.2_2019"
    );
}
