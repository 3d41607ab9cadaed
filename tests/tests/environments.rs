//! Stack environments: `env { .. }` pins a stack to an account and region, which synth
//! records; references between stacks of different environments are refused.

use stack_core::prelude::*;
use stack_core::Env;

stack! {
    /// Certificates must live in us-east-1.
    pub stack Certificates {
        env { account: "123456789012", region: "us-east-1" }
        resource files: Bucket {}
    }
}

stack! {
    /// Environment-agnostic: may use a pinned stack, and deploys wherever it is.
    pub stack Anywhere uses certificates: Certificates {
        resource logs: Bucket { bucket_name: certificates.files.name }
    }
}

stack! {
    /// Opts in to cross-region references, which synth does not support yet.
    pub stack Europe uses certificates: Certificates {
        env { region: "eu-west-1", cross_region_references: true }
        resource logs: Bucket { bucket_name: certificates.files.name }
    }
}

/// Where a stack goes, chosen at run time.
pub struct Placement {
    pub region: String,
}

stack! {
    /// Pinned to a region computed from the props.
    pub stack Placed(props: Placement) uses certificates: Certificates {
        env { region: props.region.clone() }
        resource logs: Bucket { bucket_name: certificates.files.name }
    }
}

fn env_of(app: &App, name: &str) -> Env {
    let stack = app.stacks().find(|s| s.stack_name() == name).expect(name);
    stack
        .synthesized()
        .unwrap_or_else(|e| panic!("{e}"))
        .env
        .clone()
}

fn problems_of(app: &App, name: &str) -> Vec<String> {
    let stack = app.stacks().find(|s| s.stack_name() == name).expect(name);
    match stack.synthesized() {
        Ok(_) => Vec::new(),
        Err(e) => e.problems.clone(),
    }
}

#[test]
fn synth_records_the_environment() {
    let mut app = App::new();
    let certificates = app.add(Certificates::new("Certificates"));
    app.add(Anywhere::new("Anywhere", &certificates));
    assert_eq!(
        env_of(&app, "Certificates"),
        Env {
            account: Some("123456789012".into()),
            region: Some("us-east-1".into()),
            cross_region_references: false,
        }
    );
    assert_eq!(env_of(&app, "Anywhere"), Env::default());
}

#[test]
fn a_region_from_the_props_is_checked_at_synth() {
    let mut app = App::new();
    let certificates = app.add(Certificates::new("Certificates"));
    let same = Placement {
        region: "us-east-1".into(),
    };
    app.add(Placed::new("Same", &same, &certificates));
    assert_eq!(env_of(&app, "Same").region.as_deref(), Some("us-east-1"));

    let other = Placement {
        region: "eu-west-1".into(),
    };
    app.add(Placed::new("Other", &other, &certificates));
    assert_eq!(
        problems_of(&app, "Other"),
        ["stack `Other` (eu-west-1) uses stack `Certificates` (us-east-1); exports are read only in their own region, so pin both stacks to one region"]
    );

    let typo = Placement {
        region: "eu-west-9".into(),
    };
    app.add(Placed::new("Typo", &typo, &certificates));
    assert_eq!(
        problems_of(&app, "Typo"),
        ["env `region`: `eu-west-9` is not an AWS region; did you mean `eu-west-1`?"]
    );
}

#[test]
fn cross_region_references_are_refused_at_synth_even_with_the_opt_in() {
    let mut app = App::new();
    let certificates = app.add(Certificates::new("Certificates"));
    app.add(Europe::new("Europe", &certificates));
    assert_eq!(
        problems_of(&app, "Europe"),
        ["stack `Europe` (eu-west-1) uses stack `Certificates` (us-east-1) with `cross_region_references: true`, but cross-region references through SSM are not supported yet; pin both stacks to one region"]
    );
}
