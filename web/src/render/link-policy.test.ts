import { describe, expect, it } from 'vitest';
import { attachmentUrl, linkTarget } from './link-policy.ts';

describe('linkTarget', () => {
  it('opens external links in a new tab without opener or referrer, keeps anchors', () => {
    expect(linkTarget('https://example.com')).toEqual({ target: '_blank', rel: 'noopener noreferrer' });
    expect(linkTarget('#section')).toBeNull();
    expect(linkTarget(null)).toBeNull();
  });
});

describe('attachmentUrl', () => {
  it('turns a cell attachment into a data URL', () => {
    const attachments = { 'plot one.png': { 'image/png': 'iVBO\nRw==' } };
    expect(attachmentUrl('attachment:plot%20one.png', attachments)).toBe('data:image/png;base64,iVBORw==');
    expect(attachmentUrl('attachment:missing.png', attachments)).toBeNull();
    expect(attachmentUrl('https://x/y.png', attachments)).toBeNull();
  });
});
