// The search page: the query from ?q=…, asked of Pagefind, results listed ten at a time.
//
// The index holds each Han character as a word of its own (src/ogi/site/search.py says why),
// so the query is spaced the same way. Its parts (split at spaces and punctuation) are asked as
// exact phrases: a page is found when it prints each part's characters in that order. When no
// page holds every part, each character is asked alone (a page must hold every one, anywhere),
// and the page says so.
//
// What a search downloads grows with the characters it asks of the index (a chunk of the index
// each, per shard), so at most ASKED characters are asked; a longer query is narrowed down by
// its first ASKED characters. Each page found is then checked against the whole query in the
// page's own text (fetched anyway to show the result): Pagefind's phrase search also lets
// through pages where the characters are near each other but not in one run.
const HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"; // the same class as search.py's HAN
const HAN_PAIR = new RegExp(`([${HAN}])(?=[${HAN}])`, "g");
const PAGE = 10;
const ASKED = 6; // characters (or numbers, or words) asked of the index at most: ≈ 1.7 MB for the commonest six at 10,000
const LOOKS = 5; // batches of PAGE pages checked at most per click, so a rare query in common characters stays cheap

const script = document.querySelector("script[data-pagefind]");
const input = document.getElementById("ogi-search-input");
const status = document.getElementById("ogi-search-status");
const list = document.getElementById("ogi-search-results");
const more = document.getElementById("ogi-search-more");

function spaced(query) {
  return query.trim().replace(HAN_PAIR, "$1 ").replace(/\s+/g, " ");
}

// Pagefind's texts hold the index's spaces (and zero-width spaces) between characters: drop them
// between CJK characters and punctuation, so an excerpt reads as the page prints it.
const CJK = `[${HAN}\\u3000-\\u303f\\uff00-\\uffef]`;
const GAP = new RegExp(`(${CJK}(?:</?mark>)*)[\\s\\u200b]+(?=(?:</?mark>)*${CJK})`, "g");
function unspaced(html) {
  return html.replace(GAP, "$1").replace(GAP, "$1").replace(/\u200b/g, "").replace(/<\/mark><mark>/g, "");
}

function item(data) {
  const li = document.createElement("li");
  const link = document.createElement("a");
  link.href = data.url;
  link.className = "ogi-search-title";
  link.textContent = unspaced(data.meta.title || data.url);
  const excerpt = document.createElement("p");
  excerpt.className = "ogi-search-excerpt";
  excerpt.innerHTML = unspaced(data.excerpt); // Pagefind escapes the page's text; only <mark> is markup
  li.append(link, excerpt);
  return li;
}

// The pages holding every part as an exact phrase, in the order of the part found on the fewest pages.
async function pagesWithEvery(pagefind, parts) {
  const searches = await Promise.all([...new Set(parts)].map((part) => pagefind.search(`"${part}"`)));
  const everywhere = searches.map((s) => new Set(s.results.map((r) => r.id)));
  const rarest = searches.reduce((a, b) => (b.results.length < a.results.length ? b : a));
  return rarest.results.filter((r) => everywhere.every((ids) => ids.has(r.id)));
}

async function run() {
  const query = (new URLSearchParams(location.search).get("q") || "").trim();
  input.value = query;
  if (!query) {
    status.textContent = "请输入要搜索的机关名称或报告中的一段文字。";
    input.focus();
    return;
  }
  document.title = `${query} - 搜索 - ${document.title.split(" - ").pop()}`;
  status.textContent = "正在搜索……";
  const root = new URL(script.dataset.base + "/", location.href).pathname;
  const bundle = new URL(script.dataset.pagefind, location.href); // relative to the page, not this module
  const pagefind = await import(bundle.href);
  await pagefind.options({ baseUrl: root, excerptLength: 40 });
  // A large site's index comes in shards (search.py says why): merge the others into the first.
  const shards = await (await fetch(new URL("ogi-shards.json", bundle))).json();
  for (const shard of shards) await pagefind.mergeIndex(new URL(shard, bundle).pathname, { baseUrl: root, excerptLength: 40 });
  const parts = query.split(/[\s\p{P}\p{S}]+/u).filter(Boolean).map(spaced);
  if (!parts.length) {
    status.textContent = `“${query}”中没有可以搜索的字（标点和符号不搜）。`;
    return;
  }
  let results = await pagesWithEvery(pagefind, narrowed(parts));
  const exact = results.length > 0;
  const units = [...new Set(parts.join(" ").split(" "))]; // each character, number or word alone
  if (!exact) results = await pagesWithEvery(pagefind, narrowed(units));
  const holds = exact ? (text) => parts.every((p) => text.includes(tight(p))) : (text) => units.every((u) => text.includes(tight(u)));
  let shown = 0;
  let next = 0; // the first result not yet looked at
  async function page() {
    more.disabled = true; // one click at a time: a second would list the same pages again
    const found = [];
    for (let looks = 0; found.length < PAGE && next < results.length && looks < LOOKS; looks++) {
      const batch = await Promise.all(results.slice(next, next + PAGE).map((r) => r.data()));
      next += batch.length;
      found.push(...batch.filter((data) => holds(tight(data.content))));
    }
    list.append(...found.map(item));
    shown += found.length;
    more.hidden = next >= results.length;
    more.disabled = false;
  }
  more.addEventListener("click", page);
  await page();
  const quoted = parts.map((p) => `“${p.replace(/ /g, "")}”`).join("");
  if (!shown) {
    status.textContent =
      next < results.length
        ? `查看了 ${next} 个可能的页面，还没有找到包含${quoted}的；可以继续查找。`
        : `没有找到包含“${query}”的页面。`;
    return;
  }
  const all = next >= results.length; // every page found is checked: the count is known
  const apart = parts.length > 1 ? "（每一段连续，段与段不必相连）" : "";
  if (exact) status.textContent = all ? `找到 ${shown} 个页面连续包含${quoted}${apart}。` : `以下页面都连续包含${quoted}${apart}，每次显示 ${PAGE} 个。`;
  else status.textContent = `没有页面连续包含${quoted}；以下${all ? ` ${shown} 个` : ""}页面包含其中的每一个字（不一定相连）。`;
}

// At most ASKED characters in all, taken from the start of each part in turn.
function narrowed(parts) {
  let left = ASKED;
  return parts
    .map((part) => {
      const taken = part.split(" ").slice(0, Math.max(left, 0));
      left -= taken.length;
      return taken.join(" ");
    })
    .filter(Boolean);
}

function words(parts) {
  return parts.reduce((n, p) => n + p.split(" ").length, 0);
}

// Text without the spaces the index puts between characters (and Pagefind's zero-width spaces).
function tight(text) {
  return text.replace(/[\s\u200b]+/g, "").toLowerCase(); // Pagefind matches regardless of case, too
}

run().catch((error) => {
  status.textContent = `搜索出错：${error.message}`;
  throw error;
});
