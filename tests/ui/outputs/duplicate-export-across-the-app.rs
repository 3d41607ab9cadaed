use stack_core::prelude::*;

stack! {
    pub stack Storage {
        resource files: Bucket {}
        #[export = "shared-name"]
        output files_name = files.name;
    }
}

stack! {
    pub stack Site {
        resource site: Bucket {}
        #[export = "site"]
        output site_name = site.name;
        #[export = "shared-name"]
        output site_arn = site.arn;
    }
}

// The stacks of the app, whose literal export names must differ.
stack_core::unique_exports!(Storage, Site);

fn main() {}
