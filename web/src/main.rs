//! Entry point of the page that Trunk builds: mounts the app on `<body>`.

fn main() {
    yew::Renderer::<gossip_web::App>::new().render();
}
