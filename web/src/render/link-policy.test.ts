import { describe, expect, it } from 'vitest';
import { attachmentUrl, linkTarget, remoteImageHost } from './link-policy.ts';

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

describe('remoteImageHost', () => {
  const page = 'http://127.0.0.1:8765';
  it('names the host of images on other sites', () => {
    expect(remoteImageHost('https://images.example.org/a.png', page)).toBe('images.example.org');
    expect(remoteImageHost('//cdn.example.com:8080/a.png', page)).toBe('cdn.example.com:8080');
    expect(remoteImageHost('http://127.0.0.1:9999/a.png', page)).toBe('127.0.0.1:9999');
  });
  it('lets the page show its own, data: and blob: images', () => {
    expect(remoteImageHost('http://127.0.0.1:8765/files/a.png', page)).toBeNull();
    expect(remoteImageHost('images/a.png', page)).toBeNull();
    expect(remoteImageHost('data:image/png;base64,AAAA', page)).toBeNull();
    expect(remoteImageHost('blob:http://127.0.0.1:8765/x', page)).toBeNull();
  });
});
