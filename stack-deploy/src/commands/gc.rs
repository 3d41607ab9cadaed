//! `gc`: delete staged assets that no deployed stack refers to.

use stack_app::cli::{GcAction, GcArgs};

use crate::commands::{AwsRun, Session};
use crate::error::CliResult;
use crate::ops;

/// Lists, tags and deletes unreferenced staged assets as `--action` says; `--dry-run` is
/// `--action print`.
pub(crate) fn exec(session: &mut Session<'_>, args: &GcArgs) -> CliResult {
    let options = ops::gc::Options {
        asset_type: args.asset_type,
        action: if args.dry_run {
            GcAction::Print
        } else {
            args.action
        },
        rollback_buffer_days: args.rollback_buffer_days,
        created_buffer_days: args.created_buffer_days,
        confirm: args.confirm && !args.force,
        json: args.json,
        progress: args.progress,
        app: session.app_name().to_owned(),
    };
    let run = AwsRun::connect(session)?;
    run.run(ops::gc::gc(session.shell, &run.aws, &options))
}
