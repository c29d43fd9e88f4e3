//! The Stagecraft playground: a view over `stagecraft::simulate`. No simulation logic here.

use yew::prelude::*;

#[component]
fn App() -> Html {
    let report = use_memo((), |_| {
        let context = stagecraft::BuildContext::new();
        stagecraft::simulate(&stagecraft::Simulation {
            dockerfile: "FROM alpine:3.20\nRUN echo hi > /hello\n",
            dockerfile_name: None,
            context: &context,
            build_args: Default::default(),
            target: None,
            strict: false,
        })
    });
    let size = report.image.as_ref().map(|i| stagecraft::report::human_size(i.size_bytes)).unwrap_or_default();
    html! { <main id="app" data-ready="1"><h1>{"Stagecraft"}</h1><p id="image-size">{size}</p></main> }
}

fn main() {
    if let Some(el) = gloo::utils::document().get_element_by_id("loading") {
        el.remove();
    }
    yew::Renderer::<App>::new().render();
}
