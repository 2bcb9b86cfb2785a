/**
 * The one script that runs in an HTML output's frame (see web/src/render/html-srcdoc.ts). It lives in the
 * protocol because both sides need the same text: the web puts it into the frame, and the server hashes it for
 * the page's Content-Security-Policy, which a srcdoc frame inherits (server/routes/page-security.ts).
 */

/** `type` of the height message the frame posts to its parent. */
export const FRAME_HEIGHT_MESSAGE = 'cellmate:frame-height';

/**
 * Constant on purpose: the nonce sits in the tag, not in the text, so the app's page CSP can allow this exact
 * script by hash. Measures the root's box (not scrollHeight, which never shrinks below the frame's viewport).
 */
export const HEIGHT_REPORTER = `(function(){var last=-1;function report(){var h=Math.ceil(document.documentElement.getBoundingClientRect().height);if(h!==last){last=h;parent.postMessage({type:'${FRAME_HEIGHT_MESSAGE}',height:h},'*');}}new ResizeObserver(report).observe(document.documentElement);addEventListener('load',report);})();`;
