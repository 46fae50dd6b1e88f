// The one polite live region's message: what just happened, read out by screen readers.
let message = $state('');
let tone = $state<'info' | 'error'>('info');
let timer: ReturnType<typeof setTimeout> | undefined;

export const status = {
  get message() {
    return message;
  },
  get tone() {
    return tone;
  },
};

export function announce(text: string, kind: 'info' | 'error' = 'info') {
  clearTimeout(timer);
  message = text;
  tone = kind;
  timer = setTimeout(() => (message = ''), 8000);
}
