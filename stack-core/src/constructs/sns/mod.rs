//! SNS: [`Topic`] and its subscriptions to queues, functions, email addresses and HTTP
//! endpoints.

mod subscription;
mod topic;

pub use subscription::{
    EmailSubscription, EmailSubscriptionProps, FilterPolicy, LambdaSubscription,
    LambdaSubscriptionProps, SqsSubscription, SqsSubscriptionProps, UrlSubscription,
    UrlSubscriptionProps,
};
pub use topic::{Topic, TopicEncryption, TopicProps};

#[cfg(test)]
mod tests;
