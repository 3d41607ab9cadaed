//! Synthesis benchmarks: the whole path from props to template JSON, for the PhotoSky app and
//! for a generated stack at CloudFormation's 500-resource limit. See `README.md` here.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use photosky::{PhotoSky, PhotoSkyProps};
use stack_core::prelude::*;

// One dead-letter queue plus 499 queues `q1` .. `q499` that each point at it: 500 resources,
// the most a stack may declare. `seq!` pastes `q~N` into `q1`, `q2`, ... and repeats `#( )*`.
seq_macro::seq!(N in 1..500 {
    stack! {
        /// 500 SQS queues with a shared dead-letter queue.
        pub stack FiveHundred {
            resource dead_letters: AWS::SQS::Queue {}
            #(
                resource q~N: AWS::SQS::Queue {
                    VisibilityTimeout: 30,
                    RedrivePolicy: { deadLetterTargetArn: dead_letters.arn, maxReceiveCount: 3 },
                    Tags: [{ Key: "index", Value: stringify!(N) }],
                }
            )*
        }
    }
});

fn render(stack: &dyn Stack) -> String {
    match stack.synthesized() {
        Ok(synthesized) => synthesized.template.to_json_string(),
        Err(error) => panic!("{error}"),
    }
}

fn photosky(c: &mut Criterion) {
    let props = PhotoSkyProps {
        app_name: "PhotoSky".to_owned(),
        image_uri: None,
    };
    c.bench_function("photosky", |b| {
        b.iter(|| render(&PhotoSky::new("PhotoSky", black_box(&props))));
    });
}

fn five_hundred_resources(c: &mut Criterion) {
    let stack = FiveHundred::new("FiveHundred");
    let resources = match stack.synthesized() {
        Ok(synthesized) => synthesized.template.resources.len(),
        Err(error) => panic!("{error}"),
    };
    assert_eq!(
        resources, 500,
        "the generated stack should have 500 resources"
    );
    c.bench_function("five_hundred_resources", |b| {
        b.iter(|| render(&FiveHundred::new(black_box("FiveHundred"))));
    });
}

criterion_group!(benches, photosky, five_hundred_resources);
criterion_main!(benches);
