use stack_core::prelude::*;

stack! {
    pub stack Storage {
        resource files: Bucket {}
    }
}

stack! {
    pub stack Workers uses storage: Storage {
        resource worker: Function {
            code: Code::asset("lambda"),
            runtime: Runtime::Python312,
            handler: "index.handler",
            environment: { BUCKET: storage.files.name },
        }
    }
}

fn main() {
    let storage = Storage::new("Storage");
    // `storage` was never added to an app, so `Workers` cannot import from it.
    let _workers = Workers::new("Workers", &storage);
}
