//! The wasm entry point. Everything else lives in `app`.

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    app::client::start();
    leptos::mount::hydrate_body(app::App);
    app::client::mark_hydrated();
}
