use stack_core::prelude::*;

// A name written with `-` is reported as a name, with the identifier to write.
stack! {
    pub stack Storage {
        resource my-bucket: Bucket {}
    }
}

stack! {
    pub stack Site {
        resource site: Bucket {}
        output site-url = site.website_url;
    }
}

fn main() {
    // The stand-ins keep the stacks usable, so the errors do not cascade.
    let _ = Storage::new("Storage");
    let _ = Site::new("Site");
}
