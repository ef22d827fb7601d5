// The search page: the query from ?q=…, asked of Pagefind, results listed ten at a time.
//
// The index holds each Han character as a word of its own (src/ogi/site/search.py says why),
// so the query is spaced the same way. Its parts (split at spaces and punctuation) are asked as
// exact phrases: a page is found when it prints each part's characters in that order. When no
// page holds every part, each character is asked alone (a page must hold every one, anywhere),
// and the page says so.
const HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"; // the same class as search.py's HAN
const HAN_PAIR = new RegExp(`([${HAN}])(?=[${HAN}])`, "g");
const PAGE = 10;

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
  let results = await pagesWithEvery(pagefind, parts);
  const exact = results.length > 0;
  if (!exact) results = await pagesWithEvery(pagefind, parts.join(" ").split(" ")); // each character (or number, or word) alone
  if (!results.length) {
    status.textContent = `没有找到包含“${query}”的页面。`;
    return;
  }
  let shown = 0;
  async function next() {
    const page = await Promise.all(results.slice(shown, shown + PAGE).map((r) => r.data()));
    list.append(...page.map(item));
    shown += page.length;
    more.hidden = shown >= results.length;
  }
  more.addEventListener("click", next);
  await next();
  const quoted = parts.map((p) => `“${p.replace(/ /g, "")}”`).join("");
  status.textContent = exact // said once the first results are shown
    ? `找到 ${results.length} 个页面连续包含${quoted}${parts.length > 1 ? "（每一段连续，段与段不必相连）" : ""}。`
    : `没有页面连续包含${quoted}；以下 ${results.length} 个页面包含其中的每一个字（不一定相连）。`;
}

run().catch((error) => {
  status.textContent = `搜索出错：${error.message}`;
  throw error;
});
