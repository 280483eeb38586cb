// <gossip-lab> — the custom element for documentation pages. It wraps the JS API's
// mount(): every attribute is an option of the same name (the URL's names), e.g.
//   <script type="module" src="gossip-lab.js"></script>
//   <gossip-lab nodes="30" scenario="seeds" autoplay="0"></gossip-lab>
// Changing an attribute restarts the lab with the new options; removing the element
// destroys it. A bad attribute shows its error in place.
// The attributes and their types come from the settings table (settingKinds()), so
// a new setting needs no change here.
import init, { mount, settingKinds } from './gossip-web.js';

await init();
/** Each setting's type, by name: whole, decimal, flag or text. */
const KINDS = settingKinds();

/** The element's attributes as mount() options, typed as mount() expects. */
function options(element) {
  const out = {};
  for (const { name, value } of element.attributes) {
    const kind = KINDS[name];
    if (kind === 'whole' || kind === 'decimal') {
      const n = Number(value);
      out[name] = value.trim() !== '' && Number.isFinite(n) ? n : value;
    } else if (kind === 'flag') {
      out[name] = !['0', 'false', 'no'].includes(value);
    } else if (name !== 'style' && name !== 'class' && name !== 'id') {
      out[name] = value;
    }
  }
  return out;
}

class GossipLab extends HTMLElement {
  static get observedAttributes() {
    return Object.keys(KINDS);
  }

  /** A changed attribute restarts the lab with the new options. */
  attributeChangedCallback() {
    if (!this.lab) return;
    try {
      this.lab.reset(options(this));
    } catch (e) {
      this.lab.destroy();
      this.lab = undefined;
      this.textContent = String(e.message ?? e);
      this.setAttribute('data-error', '');
    }
  }

  connectedCallback() {
    if (!this.isConnected || this.lab) return;
    if (!this.style.display) this.style.display = 'block';
    try {
      this.lab = mount(this, options(this));
    } catch (e) {
      this.textContent = String(e.message ?? e);
      this.setAttribute('data-error', '');
    }
  }

  disconnectedCallback() {
    this.lab?.destroy();
    this.lab = undefined;
  }

  /** The lab's handle (play, pause, reset, on, destroy), once mounted. */
  get handle() {
    return this.lab;
  }
}

customElements.define('gossip-lab', GossipLab);
