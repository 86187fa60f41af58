import { Link } from '../components/link.tsx';

export function NotFoundPage() {
  return (
    <section class="page">
      <h1>Page not found</h1>
      <p>
        <Link to="/">Back to the dashboard</Link>
      </p>
    </section>
  );
}
