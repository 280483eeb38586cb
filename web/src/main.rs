//! The module Trunk builds. Its `main` runs when a page loads it; the exports
//! (`mount` and its handle) come from the library. A bin, not a cdylib: the bin
//! keeps only what is reachable from `main` and the exports, and is 20 % smaller.

fn main() {
    gossip_web::start();
}
