/** The quick-reaction picker's emoji, with the names screen readers and tests use. */
export const QUICK_EMOJI: readonly { emoji: string; name: string }[] = [
  { emoji: '👍', name: 'Thumbs up' },
  { emoji: '❤️', name: 'Heart' },
  { emoji: '😂', name: 'Laughing' },
  { emoji: '😮', name: 'Surprised' },
  { emoji: '😢', name: 'Sad' },
  { emoji: '🎉', name: 'Party' },
  { emoji: '🙏', name: 'Thanks' },
  { emoji: '👀', name: 'Eyes' }
];

/** A name for an emoji: the picker's, or the emoji itself for one someone else picked. */
export function emojiName(emoji: string): string {
  return QUICK_EMOJI.find((e) => e.emoji === emoji)?.name ?? emoji;
}
