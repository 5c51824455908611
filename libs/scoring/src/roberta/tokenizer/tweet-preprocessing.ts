/**
 * The model card's preprocessing for cardiffnlp/twitter-roberta-base-sentiment-latest: the model
 * was fine-tuned on tweets whose user names and links were replaced by placeholders, so scoring
 * must do the same. Splits on single spaces exactly like the card's Python (`text.split(" ")`),
 * so newlines and tabs stay inside "words" and the text's spacing is preserved.
 */
export function preprocessTweetText(text: string): string {
  return text
    .split(' ')
    .map((word) => {
      const masked = word.startsWith('@') && word.length > 1 ? '@user' : word;
      return masked.startsWith('http') ? 'http' : masked;
    })
    .join(' ');
}
