import type { JSX } from 'solid-js';

/**
 * An "Upload files" button and the hidden file input it opens: hands over the files chosen, then clears the
 * input so the same file can be chosen again. The input keeps `data-upload-input` for tests.
 */
export function UploadButton(props: { class: string; title?: string; onFiles: (files: File[]) => void; children: JSX.Element }): JSX.Element {
  let picker: HTMLInputElement | undefined;
  return (
    <>
      <button type="button" class={props.class} aria-label="Upload files" title={props.title} onClick={() => picker?.click()}>
        {props.children}
      </button>
      <input
        ref={picker}
        type="file"
        multiple
        hidden
        data-upload-input=""
        onChange={(event) => {
          const chosen = [...(event.currentTarget.files ?? [])];
          event.currentTarget.value = '';
          if (chosen.length > 0) props.onFiles(chosen);
        }}
      />
    </>
  );
}
