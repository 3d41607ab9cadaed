//! A static website for a domain, declared with [`StaticWebsite`], a construct from
//! another crate (`constructs/static-website`), next to the role a CI job assumes to
//! publish the site's files.

use stack_core::prelude::*;
use static_website::StaticWebsite;

/// Settings of the [`Website`] stack.
#[derive(Clone, Debug)]
pub struct WebsiteProps {
    /// The site's domain name, e.g. `www.example.com`.
    pub domain_name: String,
    /// The Route 53 hosted zone of the domain.
    pub hosted_zone_id: String,
}

stack! {
    /// A static website behind CloudFront, and the role that publishes its content.
    pub stack Website(props: WebsiteProps) {
        resource site: StaticWebsite {
            domain_name: props.domain_name.as_str(),
            hosted_zone_id: props.hosted_zone_id.as_str(),
            index_document: "index.html",
            price_class: PriceClass::PriceClass100,
            removal_policy: RemovalPolicy::Destroy,
        }
        resource publisher: Role {
            assumed_by: Principals { services: ["codebuild.amazonaws.com"] },
        }
        grant publisher deploy site;

        /// The site's address.
        output url = site.url;
        /// Where the site's files go.
        output bucket_name = site.bucket_name;
        /// The distribution to invalidate after publishing.
        output distribution_id = site.distribution_id;
        /// The role that publishes.
        output publisher_arn = publisher.arn;
    }
}
