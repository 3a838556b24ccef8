/**
 * Roving tabindex over a group of items (the sentences of a source column): Tab reaches the
 * group once, at the item last visited; arrows, Home and End move inside it. A long story is
 * then a few tab stops, not one per sentence. `across` lists sibling groups for Left/Right.
 */
export function rovingGroup(items: readonly HTMLElement[], across?: () => readonly HTMLElement[][]): void {
  items.forEach((el, i) => el.setAttribute('tabindex', i === 0 ? '0' : '-1'));
  const move = (from: HTMLElement, to: HTMLElement | undefined, keepFrom: boolean): void => {
    if (!to) return;
    // moving to another group leaves this group's stop where it was: Tab comes back to it
    if (!keepFrom) from.setAttribute('tabindex', '-1');
    to.setAttribute('tabindex', '0');
    to.focus();
  };
  items.forEach((el, i) => {
    el.addEventListener('keydown', (e) => {
      let to: HTMLElement | undefined;
      let toOther = false;
      if (e.key === 'ArrowDown') to = items[i + 1];
      else if (e.key === 'ArrowUp') to = items[i - 1];
      else if (e.key === 'Home') to = items[0];
      else if (e.key === 'End') to = items[items.length - 1];
      else if ((e.key === 'ArrowRight' || e.key === 'ArrowLeft') && across) {
        const groups = across();
        const g = groups.findIndex((grp) => grp.includes(el));
        const next = groups[g + (e.key === 'ArrowRight' ? 1 : -1)];
        if (next && next.length > 0) {
          // the sentence at the same place in the neighbour, or its last one
          to = next[Math.min(i, next.length - 1)];
          for (const x of next) x.setAttribute('tabindex', '-1');
          toOther = true;
        }
      } else return;
      e.preventDefault();
      move(el, to, toOther);
    });
  });
}
