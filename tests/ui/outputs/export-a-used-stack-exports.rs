use stack_core::prelude::*;

stack! {
    pub stack Storage {
        resource files: Bucket {}
        #[export = "files"]
        output files_name = files.name;
    }
}

// Both stacks deploy in one app, so the second export of `files` would fail.
stack! {
    pub stack Workers uses storage: Storage {
        resource jobs: Bucket {}
        #[export = "files"]
        output jobs_name = jobs.name;
    }
}

fn main() {}
