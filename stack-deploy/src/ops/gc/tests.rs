// What `gc` decides for each asset, per action and buffer, and how the table reads.
use super::*;

const NOW: i64 = 1_750_000_000;
const H: &str = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

fn options(action: GcAction, rollback: u32, created: u32) -> Options {
    Options {
        asset_type: GcType::All,
        action,
        rollback_buffer_days: rollback,
        created_buffer_days: created,
        confirm: true,
        json: false,
        progress: ProgressMode::Events,
        app: "app".to_owned(),
    }
}

fn object(age_days: i64, marked_days_ago: Option<i64>) -> Staged {
    Staged {
        location: Location::Object {
            key: format!("{H}.zip"),
            tags: Vec::new(),
        },
        hashes: vec![H.to_owned()],
        size: 2048,
        created: Some(NOW - age_days * DAY),
        isolated_since: marked_days_ago.map(|d| NOW - d * DAY),
    }
}

#[test]
fn referenced_assets_are_kept_and_lose_a_stale_mark() {
    let full = options(GcAction::Full, 0, 0);
    assert_eq!(decide(&object(30, None), true, NOW, &full), Verdict::InUse);
    assert_eq!(
        decide(&object(30, Some(3)), true, NOW, &full),
        Verdict::Untag
    );
    let tagged = options(GcAction::DeleteTagged, 0, 0);
    assert_eq!(
        decide(&object(30, Some(3)), true, NOW, &tagged),
        Verdict::InUse
    );
}

#[test]
fn young_assets_are_never_touched() {
    let full = options(GcAction::Full, 0, 1);
    let mut fresh = object(0, None);
    fresh.created = Some(NOW - DAY + 60);
    assert_eq!(decide(&fresh, false, NOW, &full), Verdict::Young);
    assert_eq!(decide(&object(1, None), false, NOW, &full), Verdict::Delete);
    let mut unknown = object(5, None);
    unknown.created = None;
    assert_eq!(decide(&unknown, false, NOW, &full), Verdict::Young);
}

#[test]
fn the_rollback_buffer_tags_first_and_deletes_once_it_has_passed() {
    let full = options(GcAction::Full, 3, 0);
    assert_eq!(decide(&object(10, None), false, NOW, &full), Verdict::Tag);
    assert_eq!(
        decide(&object(10, Some(1)), false, NOW, &full),
        Verdict::Waiting {
            deletable: NOW + 2 * DAY
        }
    );
    assert_eq!(
        decide(&object(10, Some(3)), false, NOW, &full),
        Verdict::Delete
    );
}

#[test]
fn each_action_does_only_its_part() {
    let unmarked = object(10, None);
    let marked = object(10, Some(5));
    let tag = options(GcAction::Tag, 0, 0);
    assert_eq!(decide(&unmarked, false, NOW, &tag), Verdict::Tag);
    assert_eq!(
        decide(&marked, false, NOW, &tag),
        Verdict::Waiting {
            deletable: NOW - 5 * DAY
        },
        "tag deletes nothing"
    );
    let delete_tagged = options(GcAction::DeleteTagged, 0, 0);
    assert_eq!(
        decide(&unmarked, false, NOW, &delete_tagged),
        Verdict::NotTagged
    );
    assert_eq!(decide(&marked, false, NOW, &delete_tagged), Verdict::Delete);
    let print = options(GcAction::Print, 0, 0);
    assert_eq!(decide(&unmarked, false, NOW, &print), Verdict::Delete);
}

#[test]
fn the_table_lists_unreferenced_assets_with_totals() {
    let shell = Shell::buffered();
    let planned = vec![
        (object(40, None), Verdict::Delete),
        (object(2, None), Verdict::InUse),
        (object(0, None), Verdict::Young),
    ];
    let text = table(&shell, &planned, NOW, &options(GcAction::Full, 0, 1));
    assert_eq!(
        text,
        format!(
            "TYPE   {:<68}       SIZE    AGE  ACTION\n\
             file   {H}.zip    2.0 KiB    40d  delete\n\
             file   {H}.zip    2.0 KiB     0m  keep: uploaded less than 1 day ago\n\
             2 unreferenced: 1 (2.0 KiB) to delete, 0 (0 B) to tag\n",
            "ASSET"
        )
    );
    let none = table(&shell, &planned[1..2], NOW, &options(GcAction::Full, 0, 1));
    assert!(none.starts_with("No unreferenced assets"));
}

#[test]
fn ages_read_in_the_largest_whole_unit() {
    assert_eq!(age(59), "0m");
    assert_eq!(age(3 * 3600 + 5), "3h");
    assert_eq!(age(12 * DAY), "12d");
    assert_eq!(age(-5), "0m");
}
