//! The examples, one click each.

use yew::prelude::*;

use crate::examples::EXAMPLES;
use crate::state::Action;

#[derive(Properties, PartialEq)]
pub struct ExamplesMenuProps {
    pub current: Option<&'static str>,
    pub dispatch: Callback<Action>,
}

#[component]
pub fn ExamplesMenu(props: &ExamplesMenuProps) -> Html {
    let lesson = props
        .current
        .and_then(crate::examples::find)
        .map(|e| e.lesson);
    html! {
        <nav class="examples" aria-label="Examples">
            <span class="label">{"Examples"}</span>
            <ul>
                { for EXAMPLES.iter().map(|e| {
                    let id = e.id;
                    let onclick = props.dispatch.reform(move |_| Action::LoadExample(id));
                    let current = props.current == Some(id);
                    html! { <li><button type="button" data-example={id} aria-pressed={current.to_string()} {onclick}>{e.title}</button></li> }
                }) }
            </ul>
            if let Some(lesson) = lesson { <p class="lesson" id="lesson">{lesson}</p> }
        </nav>
    }
}
