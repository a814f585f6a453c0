// The preview page's own part. It runs in the same module as the site's front-end package (inlined
// just above: imageVision, pickVariant, objectPosition), so what it shows is what the site's components
// get. Text only ever reaches the page through textContent and attributes, never as markup.
{
  const read = (id) => JSON.parse(document.getElementById(id).textContent);
  const options = read("iv-options");
  const manifest = read("iv-manifest");
  const vision = imageVision(manifest, read("iv-provenance"), { base: options.base, staticDir: options.staticDir });
  const main = document.getElementById("groups");
  main.replaceChildren();

  const el = (tag, className, text) => {
    const e = document.createElement(tag);
    if (className) e.className = className;
    if (text !== undefined && text !== null) e.textContent = text;
    return e;
  };
  const plural = (n, noun) => n + " " + noun + (n === 1 ? "" : "s");

  // Each picture is a frame whose CSS gives it its shape; once laid out, the frame's measured
  // width / height picks the variant, as a site's component does with its container.
  const pictures = [];
  function frame(image, shape, kind) {
    const box = el("div", "frame " + shape);
    const img = el("img");
    img.alt = image.subject ?? "";
    img.loading = "lazy";
    img.decoding = "async";
    img.dataset.path = image.path;
    img.dataset.kind = kind;
    box.append(img);
    pictures.push({ image, box, img, shape });
    return box;
  }

  function caption(image, withSubject) {
    const c = el("figcaption");
    if (withSubject) c.append(el("span", "subject", image.subject ?? "(no subject: the image has no alt text)"));
    const rights = [image.credit, image.license].filter((t) => t !== null).join(" · ");
    c.append(el("span", "rights", rights || "no licence or credit in provenance"));
    const notes = el("span", "notes");
    if (image.fallback) notes.append(el("span", "badge b-fallback", "fallback hero"));
    if (image.subject === null) notes.append(el("span", "badge b-warn", "no alt text"));
    c.append(notes);
    return c;
  }

  let shown = 0, hidden = 0;
  const nav = document.getElementById("jump");
  vision.groups().forEach((group, index) => {
    const visible = (group.hero ? [group.hero] : []).concat(group.gallery);
    shown += visible.length;
    hidden += group.images.length - visible.length;
    const section = el("section", "group");
    section.id = "g-" + index;
    section.dataset.group = group.key;
    const head = el("header");
    head.append(el("h2", null, group.key));
    head.append(el("p", "gstats", (group.hero ? "hero" : "no hero") + " · " + plural(group.gallery.length, "gallery image")
      + (group.images.length > visible.length ? " · " + (group.images.length - visible.length) + " not shown (rejected or not selected)" : "")));
    section.append(head);

    const desktop = el("div", "desktop");
    desktop.append(el("p", "device", "Desktop page"));
    if (group.hero) {
      const fig = el("figure", "hero");
      fig.append(frame(group.hero, "r16x9", "hero"), caption(group.hero, true));
      desktop.append(fig);
    } else {
      desktop.append(el("p", "empty", group.images.some((i) => i.role !== null)
        ? "No hero: no image of this group can be shown."
        : "No hero selected: this manifest has no selection (written by another tool). Run imagevision score."));
    }
    if (group.gallery.length > 0) {
      const cards = el("ol", "cards");
      for (const image of group.gallery) {
        const li = el("li", "card");
        const fig = el("figure");
        fig.append(frame(image, "r4x3", "card"), caption(image, true));
        li.append(fig);
        cards.append(li);
      }
      desktop.append(cards);
    }
    const phone = el("div", "phone");
    phone.append(el("p", "device", "Phone"));
    const rows = el("ul", "rows");
    for (const image of visible) {
      const li = el("li", "row");
      const text = el("div", "text");
      text.append(el("span", "subject", image.subject ?? "(no subject)"), el("span", "rights", image.credit ?? ""));
      li.append(frame(image, "r1x1", "thumb"), text);
      rows.append(li);
    }
    if (visible.length === 0) rows.append(el("li", "empty", "Nothing to show."));
    phone.append(rows);

    const body = el("div", "pages");
    body.append(desktop, phone);
    section.append(body);
    main.append(section);
    const option = el("option", null, group.key + " (" + visible.length + ")");
    option.value = section.id;
    nav.append(option);
  });

  // measure every frame first, then set every source: one layout, not one per picture
  const sizes = pictures.map((p) => p.box.getBoundingClientRect());
  pictures.forEach((p, i) => {
    const { width, height } = sizes[i];
    const ratio = width > 0 && height > 0 ? width / height : { r16x9: 16 / 9, r4x3: 4 / 3, r1x1: 1 }[p.shape];
    const pick = vision.pickVariant(p.image, ratio);
    p.img.src = pick.url;
    p.img.style.objectPosition = vision.objectPosition(p.image, pick);
    p.img.dataset.variant = pick.source ? "source" : pick.ratio;
    if (pick.source) {
      p.box.append(el("span", "badge b-source", "source image: no " + pick.ratio.replace("x", ":") + " variant"));
    }
  });

  // when the manifest was made, so a preview older than the last score run shows its age
  const made = typeof manifest.generated_at === "string" ? "Manifest of " + manifest.generated_at : "Manifest not dated";
  document.getElementById("summary").textContent = made + " · " + plural(vision.groups().length, "group") + " · "
    + plural(shown, "image") + " shown · " + hidden + " not shown (rejected or not selected)";
  const problems = document.getElementById("problems");
  for (const p of vision.problems) problems.append(el("li", null, (p.path === null ? "" : p.path + ": ") + p.message));
  problems.hidden = vision.problems.length === 0;
  if (vision.groups().length === 0) main.append(el("p", "empty", "The manifest has no entries yet: run imagevision score."));

  nav.addEventListener("change", () => {
    const target = nav.value && document.getElementById(nav.value);
    if (target) target.scrollIntoView({ block: "start" });
    nav.value = "";
  });
  document.body.dataset.ready = "1";
}
