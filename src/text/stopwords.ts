/** English function words: flagged in token analysis, ignored by content-word weighting. */
export const STOPWORDS: ReadonlySet<string> = new Set(
  `a about above after again against all also am an and any are aren't as at be because been before being
below between both but by can can't cannot could couldn't did didn't do does doesn't doing don't down during
each few for from further had hadn't has hasn't have haven't having he he'd he'll he's her here here's hers
herself him himself his how how's i i'd i'll i'm i've if in into is isn't it it's its itself let's me more most
mustn't my myself no nor not of off on once only or other ought our ours ourselves out over own same shan't she
she'd she'll she's should shouldn't so some such than that that's the their theirs them themselves then there
there's these they they'd they'll they're they've this those through to too under until up very was wasn't we
we'd we'll we're we've were weren't what what's when when's where where's which while who who's whom why why's
with won't would wouldn't you you'd you'll you're you've your yours yourself yourselves s t will just said says
say told according would also its'`.split(/\s+/),
);

/**
 * Function words of Chinese and Thai, as ICU's word breaker cuts them (one-character Chinese
 * words are never content words for clustering, so only longer ones are listed). Without them
 * two unrelated reports in these scripts share "已经", "他们" or "ที่", "และ", and IDF, learnt
 * from a stream that is mostly English, does not discount them enough. Japanese needs no list:
 * words written in hiragana alone are its particles, endings and auxiliaries (see isStopword).
 */
export const UNSPACED_STOPWORDS: ReadonlySet<string> = new Set(
  `我们 你们 他们 她们 它们 自己 这个 那个 这些 那些 这里 那里 这样 那样 一个 一些 一种 没有 不是 就是 还是 但是 而且 因为 所以 如果 虽然
因此 然而 并且 或者 以及 已经 正在 可以 可能 应该 需要 进行 表示 认为 指出 称 说 目前 其中 其他 以来 之后 之前 之间 由于 对于 关于 通过
根据 为了 作为 成为 还有 同时 此外 另外 今天 昨天 日前 近日 记者 报道 消息 方面 问题 情况 工作 有关 相关 这次 此次
ที่ และ ใน ของ การ ได้ ว่า เป็น มี จะ ไม่ ให้ กับ แล้ว นี้ โดย ความ จาก ซึ่ง ไป มา อยู่ หรือ แต่ ก็ เพื่อ ถึง ยัง อีก ทั้ง
คือ นั้น เมื่อ ตาม ต่อ ทำ ด้วย เรา เขา ผู้ ราย ว่าจะ กล่าว ระบุ ขณะ หลัง ก่อน`.split(/\s+/),
);
