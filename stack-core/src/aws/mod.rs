//! Generated CloudFormation resource types.
