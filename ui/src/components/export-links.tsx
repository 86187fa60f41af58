import { apiUrl } from '../api/client.ts';
import { type AlertFilter, apiParams } from '../lib/filters.ts';

/** Downloads of every alert matching the filter (the API streams the file). */
export function ExportLinks({ filter }: { readonly filter: AlertFilter }) {
  const params = apiParams(filter, Date.now());
  return (
    <div class="export">
      <span class="label-text">Export</span>
      <a class="button" href={apiUrl('alerts/export', { ...params, format: 'csv' })} download>
        CSV
      </a>
      <a class="button" href={apiUrl('alerts/export', { ...params, format: 'ndjson' })} download>
        NDJSON
      </a>
    </div>
  );
}
