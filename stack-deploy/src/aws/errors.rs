//! Turning SDK errors into one line a person can act on.

use std::error::Error;

use aws_sdk_cloudformation::error::{ProvideErrorMetadata, SdkError};
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;

use crate::aws::watch::Unanswered;

/// `ValidationError: Stack with id X does not exist`, or the transport failure with its
/// causes (`dispatch failure: io error: connection refused`).
pub(crate) fn describe<E>(error: &SdkError<E, HttpResponse>) -> String
where
    E: ProvideErrorMetadata + Error + 'static,
{
    match error {
        SdkError::ServiceError(service) => {
            let inner = service.err();
            match (inner.code(), inner.message()) {
                (Some(code), Some(message)) => format!("{code}: {message}"),
                (Some(code), None) => code.to_owned(),
                (None, Some(message)) => message.to_owned(),
                (None, None) => format!(
                    "the service answered with HTTP {} and no error code",
                    service.raw().status().as_u16()
                ),
            }
        }
        other => match unanswered(other) {
            Some(unanswered) => unanswered.to_string(),
            None => chain(other),
        },
    }
}

/// The [`Unanswered`] among the causes of `error`, if any.
fn unanswered<'a>(error: &'a (dyn Error + 'static)) -> Option<&'a Unanswered> {
    let mut cause: Option<&(dyn Error + 'static)> = Some(error);
    while let Some(current) = cause {
        if let Some(found) = current.downcast_ref::<Unanswered>() {
            return Some(found);
        }
        cause = current.source();
    }
    None
}

/// The error code of a service error (`ValidationError`, `AlreadyExistsException`, ...).
pub(crate) fn code<E, R>(error: &SdkError<E, R>) -> Option<&str>
where
    E: ProvideErrorMetadata,
{
    match error {
        SdkError::ServiceError(service) => service.err().code(),
        _ => None,
    }
}

/// The message of a service error.
pub(crate) fn message<E, R>(error: &SdkError<E, R>) -> Option<&str>
where
    E: ProvideErrorMetadata,
{
    match error {
        SdkError::ServiceError(service) => service.err().message(),
        _ => None,
    }
}

/// Whether CloudFormation said the stack does not exist.
pub(crate) fn is_missing_stack<E, R>(error: &SdkError<E, R>) -> bool
where
    E: ProvideErrorMetadata,
{
    code(error) == Some("ValidationError")
        && message(error).is_some_and(|m| m.contains("does not exist"))
}

fn chain(error: &dyn Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !text.contains(&cause_text) {
            text.push_str(": ");
            text.push_str(&cause_text);
        }
        source = cause.source();
    }
    text
}
