// Tailwind 4 through its PostCSS plugin (no tailwind.config: theme tokens live in globals.css).
export default {
  plugins: { "@tailwindcss/postcss": {} },
};
