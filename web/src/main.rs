//! The Stagecraft playground: a view over the simulator, which runs in a second wasm module
//! (the engine, `web-engine/`) reached through `engine`. State and its changes are in
//! `state`, the shared/saved input in `project` and `share`, browser glue in `browser`, the
//! panels in `components`. No simulation logic here: the core does it all, in the engine.

mod browser;
mod components;
mod engine;
mod examples;
mod highlight;
mod lines;
mod package_data;
mod project;
mod share;
mod shared;
mod state;
mod tree;
mod units;

fn main() {
    if let Some(el) = gloo::utils::document().get_element_by_id("loading") {
        el.remove();
    }
    yew::Renderer::<components::app::App>::new().render();
}
