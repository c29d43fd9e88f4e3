//! Build args (`--build-arg NAME=value`), one row each.

use std::rc::Rc;

use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::project::Project;
use crate::state::Action;

#[derive(Properties, PartialEq)]
pub struct BuildArgsProps {
    pub project: Rc<Project>,
    pub dispatch: Callback<Action>,
}

#[component]
pub fn BuildArgs(props: &BuildArgsProps) -> Html {
    let rows = props.project.build_args.iter().enumerate().map(|(index, arg)| {
        let (name, value) = (arg.name.clone(), arg.value.clone());
        let on_name = {
            let value = value.clone();
            props.dispatch.reform(move |e: InputEvent| Action::SetBuildArg { index, name: e.target_unchecked_into::<HtmlInputElement>().value(), value: value.clone() })
        };
        let on_value = {
            let name = name.clone();
            props.dispatch.reform(move |e: InputEvent| Action::SetBuildArg { index, name: name.clone(), value: e.target_unchecked_into::<HtmlInputElement>().value() })
        };
        let remove = props.dispatch.reform(move |_| Action::RemoveBuildArg(index));
        html! {
            <li class="arg">
                <input class="arg-name" aria-label="Build arg name" placeholder="NAME" value={name} oninput={on_name} spellcheck="false" />
                <span>{"="}</span>
                <input class="arg-value" aria-label="Build arg value" placeholder="value" value={value} oninput={on_value} spellcheck="false" />
                <button type="button" class="icon" onclick={remove} aria-label="Remove build arg" title="Remove">{"×"}</button>
            </li>
        }
    });
    let add = props.dispatch.reform(|_| Action::AddBuildArg);
    html! {
        <div class="build-args">
            <span class="label">{"Build args"}</span>
            <ul>{ for rows }</ul>
            <button type="button" id="add-build-arg" onclick={add}>{"+ build arg"}</button>
        </div>
    }
}
