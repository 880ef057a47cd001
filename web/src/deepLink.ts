/**
 * The app's routes are hashes (`#/track/<code>`), but people paste paths: a link written as `/track/LT-…` or
 * `/cases/<id>` opens the same page as its hash route. Pure, so the unit tests run it without a browser.
 */
export const pathAsHash = (pathname: string, hash: string): string | undefined => {
  if (hash && hash !== '#') return undefined;
  const path = pathname.replace(/\/+$/, '');
  if (path === '' || path === '/index.html') return undefined;
  return `#${path}`;
};
